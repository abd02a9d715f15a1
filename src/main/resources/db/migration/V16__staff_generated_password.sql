-- When the first ADMIN's password was generated and printed, and it has not been used to sign in
-- since. While set, each start prints a fresh one (a first start that failed after printing must
-- not lock the operator out); the first successful sign-in clears it.
ALTER TABLE staff_account ADD COLUMN password_generated_at timestamptz;
