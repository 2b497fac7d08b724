SET lock_timeout = 0;
SET LOCAL statement_timeout = '5min';
SET lock_timeout = '2s';
