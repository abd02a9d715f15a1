-- A certificate PDF is deflated already: PostgreSQL's default (EXTENDED) storage tried to compress
-- every 38 KB PDF again with pglz, failed, and stored it as it was. That attempt was most of the
-- insert: 4,000 stored PDFs took 5.1-5.7 s to insert with it, 0.92-0.97 s without (this box,
-- loadtests/RESULTS.md, the ninth session). EXTERNAL keeps the bytes out of line, uncompressed.
-- Existing rows are not rewritten: they were stored uncompressed anyway.
ALTER TABLE certificate_pdf ALTER COLUMN pdf SET STORAGE EXTERNAL;
