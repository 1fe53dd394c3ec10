-- Audit entries are signed with HMAC-SHA256 under a key from configuration (never stored here); key_id names
-- the key (a fingerprint, not the key). Entries written before have no key id and keep their plain sha-256:
-- they are verified as the chain's prefix, covered by the first signed entry's prevHash, and never rewritten
-- (the service's database user needs no UPDATE on audit_entry).
ALTER TABLE audit_entry ADD COLUMN key_id VARCHAR(32);
