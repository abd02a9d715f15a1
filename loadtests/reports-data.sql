-- Generated province for the report benchmark: 1 province, 20 districts, 500 communes, 9,500
-- villages (10,021 localities) and 1,000,000 learners enrolled in one campaign with 10 waves.
-- Learner i: village (i mod 9,500), activated unless i mod 10 = 9, started unless i mod 10 >= 8,
-- completed when i mod 100 < 70; half women; 10% Tày; nominated by one of five bodies.
-- The enrolment insert fires the report counter triggers like any roster import.
\timing on
INSERT INTO locality (code, name, level, parent_code, path) VALUES ('BP', 'Tỉnh Thử Tải', 1, NULL, '/BP/');
INSERT INTO locality (code, name, level, parent_code, path)
SELECT 'BP' || lpad(d::text, 2, '0'), 'Huyện ' || d, 2, 'BP', '/BP/BP' || lpad(d::text, 2, '0') || '/'
FROM generate_series(1, 20) d;
INSERT INTO locality (code, name, level, parent_code, path)
SELECT 'BP' || lpad(d::text, 2, '0') || '-' || c, 'Xã ' || d || '.' || c, 3, 'BP' || lpad(d::text, 2, '0'),
       '/BP/BP' || lpad(d::text, 2, '0') || '/BP' || lpad(d::text, 2, '0') || '-' || c || '/'
FROM generate_series(1, 20) d, generate_series(1, 25) c;
INSERT INTO locality (code, name, level, parent_code, path)
SELECT p.code || '-' || v, 'Thôn ' || v, 4, p.code, p.path || p.code || '-' || v || '/'
FROM locality p, generate_series(1, 19) v WHERE p.level = 3 AND p.code LIKE 'BP%';

CREATE TEMP TABLE villages AS
SELECT row_number() OVER (ORDER BY code) - 1 AS n, code FROM locality WHERE level = 4 AND code LIKE 'BP%';
CREATE UNIQUE INDEX ON villages (n);

INSERT INTO learner (phone, full_name, birth_year, gender, ethnicity, locality_code, activated_at)
SELECT '+8439' || lpad(i::text, 7, '0'), 'Học Viên ' || i, 1950 + i % 50,
       CASE WHEN i % 2 = 0 THEN 'FEMALE' ELSE 'MALE' END, CASE WHEN i % 10 = 3 THEN 'Tày' ELSE 'Kinh' END,
       v.code, CASE WHEN i % 10 <> 9 THEN now() - interval '3 days' END
FROM generate_series(1, 1000000) i JOIN villages v ON v.n = i % 9500;

INSERT INTO campaign (name, year, locality_code, course_ids, target_learners, certificate_prefix, issuing_body)
VALUES ('Thử tải báo cáo', 2026, 'BP', '{}', 1000000, 'TT', 'Ủy ban nhân dân Tỉnh Thử Tải');
INSERT INTO wave (campaign_id, name, opens_at, closes_at, capacity)
SELECT (SELECT max(id) FROM campaign), 'Đợt ' || w, now() - interval '60 days' + w * interval '6 days',
       now() - interval '54 days' + w * interval '6 days', 100000
FROM generate_series(1, 10) w;

INSERT INTO enrolment (campaign_id, learner_id, nominated_by, target_group, wave_id, started_at, completed_at)
SELECT c.id, le.id, (ARRAY['VILLAGE', 'YOUTH_UNION', 'WOMENS_UNION', 'FARMERS_ASSOCIATION', 'COOPERATIVE_ALLIANCE'])[1 + s.i % 5],
       (ARRAY['Nông dân', 'Hộ kinh doanh', 'Người cao tuổi', 'Thanh niên'])[1 + s.i % 4],
       (SELECT min(w.id) FROM wave w WHERE w.campaign_id = c.id) + s.i % 10,
       CASE WHEN s.i % 10 < 8 THEN now() - interval '2 days' END,
       CASE WHEN s.i % 100 < 70 THEN now() - interval '1 day' END
FROM (SELECT id, substr(phone, 6)::int AS i FROM learner WHERE phone LIKE '+8439%') s
JOIN learner le ON le.id = s.id, (SELECT max(id) AS id FROM campaign) c;
ANALYZE;
