-- :N generated workspaces for the benchmarks, the same on every run (no random(): every value
-- is a hash of the row number). The `workspaces` table must exist (SqliteSource creates it).
-- Run with: sqlite3 -cmd ".parameter set :N 1000000" FILE < gen-workspaces.sql
CREATE TEMP TABLE adj(i INTEGER PRIMARY KEY, w TEXT);
INSERT INTO adj(w) VALUES ('amber'),('brisk'),('calm'),('dusty'),('eager'),('fuzzy'),('gold'),('hazy'),('icy'),('jolly'),('keen'),('lunar'),('misty'),('noble'),('olive'),('proud'),('quick'),('rapid'),('solar'),('tidy');
CREATE TEMP TABLE noun(i INTEGER PRIMARY KEY, w TEXT);
INSERT INTO noun(w) VALUES ('falcon'),('harbor'),('lab'),('agent'),('crawler'),('planner'),('indexer'),('worker'),('scout'),('relay'),('beacon'),('forge');
BEGIN;
WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c WHERE x < :N),
h AS (SELECT x, (x*2654435761) % 4294967296 AS a, (x*40503 + 12345) % 4294967296 AS b, (x*2246822519) % 4294967296 AS d FROM c)
INSERT INTO workspaces
SELECT printf('%08x-%04x-4%03x-a%03x-%08x%04x', a, b % 65536, d % 4096, (a/7) % 4096, d, x % 65536),
  (SELECT w FROM adj WHERE i = 1 + a % 20) || '-' || (SELECT w FROM noun WHERE i = 1 + b % 12) || '-' || (d % 1000),
  'agent', b % 5,
  CASE WHEN a % 100 < 55 THEN 'online' WHEN a % 100 < 80 THEN 'offline' ELSE (CASE d % 7 WHEN 0 THEN 'provisioning' WHEN 1 THEN 'degraded' WHEN 2 THEN 'failed' WHEN 3 THEN 'paused' WHEN 4 THEN 'hibernated' WHEN 5 THEN 'awaiting_agent' ELSE 'removed' END) END,
  CASE b % 6 WHEN 0 THEN 'python' WHEN 1 THEN 'node' WHEN 2 THEN 'go' WHEN 3 THEN 'rust' WHEN 4 THEN 'java' ELSE 'deno' END,
  CASE WHEN d % 10 < 7 THEN printf('i-%08x%09x', d, a % 68719476736) ELSE NULL END,
  printf('https://%08x.ws.example', a),
  NULL,
  CASE a % 6 WHEN 3 THEN 'gcp' WHEN 4 THEN 'azure' WHEN 5 THEN '' ELSE 'aws' END,
  CASE WHEN x % 4 THEN strftime('%Y-%m-%dT%H:%M:%fZ', 1672531200 + a % 31536000 + b % 7776000 + x % 3600, 'unixepoch') ELSE NULL END,
  strftime('%Y-%m-%dT%H:%M:%fZ', 1672531200 + a % 31536000, 'unixepoch'),
  strftime('%Y-%m-%dT%H:%M:%fZ', 1672531200 + a % 31536000 + b % 7776000, 'unixepoch')
FROM h;
COMMIT;
