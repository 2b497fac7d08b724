-- findings: the expect lines at the end
ALTER TABLE legacy_accounts
    DROP COLUMN fax,
    DROP COLUMN telex,
    DROP COLUMN IF EXISTS pager,
    DROP CONSTRAINT legacy_accounts_fax_check,
    ALTER COLUMN name DROP NOT NULL,
    DROP "Old Notes";
-- expect: 3: column fax is dropped with its data
-- expect: 4: column telex is dropped with its data
-- expect: 5: column pager is dropped with its data
-- expect: 8: column old notes is dropped with its data
