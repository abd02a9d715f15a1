-- Stream tickets: a browser's EventSource cannot send an Authorization header, so a signed-in
-- client trades its access token for a ticket (single use, 60 s) and opens the stream with
-- ?ticket=. Only the ticket's SHA-256 is kept, with the claims of the token it stands for (the
-- stream then ends when that token would have, or when its sign-in is ended).
CREATE TABLE stream_ticket (
    ticket_hash char(64)    PRIMARY KEY,
    subject     varchar(40) NOT NULL,
    claims      jsonb       NOT NULL,
    expires_at  timestamptz NOT NULL
);
CREATE INDEX stream_ticket_subject ON stream_ticket (subject, expires_at);
CREATE INDEX stream_ticket_expires ON stream_ticket (expires_at);
