-- What each feature lets the others read. A feature's store owns its tables (see
-- docs/architecture.md, "Who owns which table", and TableOwnershipTest); another feature reads
-- them only through the view made for it here, never the table. A view is the owner's promise:
-- it can change its tables and keep the view. Secrets stay out of the views: PIN and password
-- hashes, activation codes, national ids and quiz answer keys are read by their owners only.
-- Every view is a plain projection, which PostgreSQL inlines into the query that reads it, so
-- reading a view costs what reading the table costs (same plans, same indexes, FOR UPDATE included).

-- locality
CREATE VIEW locality_view AS SELECT code, name, level, parent_code, path FROM locality;

-- staff
CREATE VIEW staff_account_view AS SELECT id, username, role, scope, full_name, created_at FROM staff_account;

-- course
CREATE VIEW course_view AS SELECT id, code, created_at FROM course;
CREATE VIEW course_version_view AS
    SELECT id, course_id, version, title, language, package, etag, created_at FROM course_version;
CREATE VIEW course_version_lesson_view AS
    SELECT version_id, lesson_id, module_code, module_title, position FROM course_version_lesson;
CREATE VIEW course_version_quiz_view AS SELECT version_id, quiz_id, position FROM course_version_quiz;
CREATE VIEW lesson_view AS
    SELECT id, course_id, code, content_hash, title, kind, duration_sec, body, media, min_coverage, created_at FROM lesson;
CREATE VIEW quiz_view AS
    SELECT id, course_id, code, content_hash, title, questions_per_attempt, time_limit_sec, max_attempts, pass_score,
           review, cooldown_sec, score_policy, bank, created_at
    FROM quiz;

-- campaign
CREATE VIEW campaign_view AS
    SELECT id, name, year, locality_code, course_ids, target_learners, created_at, certificate_prefix, issuing_body,
           certificates_issued, certificate_policy
    FROM campaign;
CREATE VIEW wave_view AS
    SELECT id, campaign_id, name, opens_at, closes_at, capacity, grace_minutes, created_at FROM wave;
CREATE VIEW enrolment_view AS
    SELECT campaign_id, learner_id, nominated_by, target_group, wave_id, import_id, enrolled_at, started_at, completed_at
    FROM enrolment;

-- roster
CREATE VIEW learner_view AS
    SELECT id, phone, full_name, birth_year, gender, ethnicity, locality_code, activated_at, created_at, updated_at
    FROM learner;

-- certificate
CREATE VIEW course_completion_view AS SELECT learner_id, course_id, completed_at, campaign_id FROM course_completion;

-- progress
CREATE VIEW lesson_progress_view AS
    SELECT learner_id, lesson_id, course_id, credited_sec, coverage, covered_sec, completed_at, observed_sec,
           last_server_at
    FROM lesson_progress;
CREATE VIEW learner_presence_view AS
    SELECT learner_id, device_id, session_id, seen_at, day, day_credited_sec FROM learner_presence;

-- quiz
CREATE VIEW quiz_attempt_view AS
    SELECT id, quiz_id, learner_id, number, started_at, expires_at, submitted_at, graded_by, score, correct, total,
           passed, time_used_sec
    FROM quiz_attempt;
