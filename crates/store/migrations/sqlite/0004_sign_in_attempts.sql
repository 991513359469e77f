-- Sign-in attempts, for limiting guessing per account and per address. Kept apart
-- from the audit log, which is for young people's records and staff actions.
CREATE TABLE sign_in_attempts (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL,
    address TEXT NOT NULL,
    attempted_at TEXT NOT NULL,
    succeeded BOOLEAN NOT NULL
);
CREATE INDEX sign_in_attempts_email ON sign_in_attempts (email, attempted_at);
CREATE INDEX sign_in_attempts_address ON sign_in_attempts (address, attempted_at);
