-- Job leases: every node may classify, and each ticket is classified once. A node leases the jobs
-- it takes: lease_owner names the node (unique for its lifetime), lease_until (milliseconds since
-- the epoch) is when another node may take the job over, unless the holder renews it first.
-- Only the holder stores a result or a failure. Both NULL: nobody works on the job.
--
-- No index on either column: a claim walks the primary key (new jobs) or the retry index and
-- skips the few leased rows it meets, and leasing or renewing then stays a HOT update that
-- writes no index entry.
ALTER TABLE classification_jobs ADD COLUMN lease_owner TEXT;
ALTER TABLE classification_jobs ADD COLUMN lease_until BIGINT;
