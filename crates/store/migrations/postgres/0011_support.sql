-- Staying Put and Staying Close arrangements, and the ledger of entitlements and
-- payments (whole pence; payments above the council's threshold wait for approval).
CREATE TABLE staying_put (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    young_person_id BIGINT NOT NULL REFERENCES young_people (id) ON DELETE CASCADE,
    carer TEXT NOT NULL,
    start_on DATE NOT NULL,
    end_on DATE,
    weekly_pence BIGINT NOT NULL,
    recorded_by BIGINT NOT NULL REFERENCES staff (id),
    recorded_at TIMESTAMPTZ NOT NULL,
    CHECK (end_on IS NULL OR end_on > start_on),
    CHECK (weekly_pence >= 0)
);
CREATE INDEX staying_put_young_person ON staying_put (young_person_id, start_on);

CREATE TABLE staying_close (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    young_person_id BIGINT NOT NULL REFERENCES young_people (id) ON DELETE CASCADE,
    provider TEXT NOT NULL,
    start_on DATE NOT NULL,
    end_on DATE,
    recorded_by BIGINT NOT NULL REFERENCES staff (id),
    recorded_at TIMESTAMPTZ NOT NULL,
    CHECK (end_on IS NULL OR end_on > start_on)
);
CREATE INDEX staying_close_young_person ON staying_close (young_person_id, start_on);

CREATE TABLE payments (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    young_person_id BIGINT NOT NULL REFERENCES young_people (id) ON DELETE CASCADE,
    entitlement TEXT NOT NULL,
    amount_pence BIGINT NOT NULL,
    description TEXT NOT NULL,
    paid_on DATE NOT NULL,
    status TEXT NOT NULL,
    requested_by BIGINT NOT NULL REFERENCES staff (id),
    requested_at TIMESTAMPTZ NOT NULL,
    decided_by BIGINT REFERENCES staff (id),
    decided_at TIMESTAMPTZ,
    CHECK (amount_pence > 0)
);
CREATE INDEX payments_young_person ON payments (young_person_id, paid_on);
CREATE INDEX payments_awaiting ON payments (status) WHERE status = 'awaiting_approval';
