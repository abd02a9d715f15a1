-- Public verification without a register: serials are sequential, so the full holder details are
-- shown only with a random code printed beside the serial (QR code and URL). 16 hex digits from
-- the MD5 of a random UUID (122 random bits) carry 64 bits. Existing certificates get one now, and
-- their cached PDFs are dropped so that they render again with the new link.
ALTER TABLE certificate ADD COLUMN verification_code varchar(16) NOT NULL
    DEFAULT upper(substr(md5(gen_random_uuid()::text), 1, 16));
DELETE FROM certificate_pdf;
