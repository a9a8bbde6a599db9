-- Extra time set before per-team accommodations (0014) lived in users.time_multiplier, one value
-- that an admin (/admin/users, the CLI) and any coach of the athlete both wrote. Since 0014 it
-- reads as an admin's site-wide value: still applied, but missing from the coach's page, which
-- showed "no extra time", and out of the coach's reach.
--
-- Each such value (one with no site-wide change recorded, as every admin change since 0014 is) is
-- copied to each team the athlete is in, as that team's extra time, unless the team has set its
-- own since; each copy is recorded in accommodation_changes as carried over (changed_by null: who
-- set it was never recorded). The site-wide value stays: nothing tells a coach's value from an
-- admin's, and clearing an admin's would silently take away an accommodation. An admin can clear
-- it on /admin/users; the teams' copies then still apply to the courses those teams assigned.
WITH unrecorded AS (
	SELECT u.id, u.time_multiplier
	  FROM users u
	 WHERE u.time_multiplier > 1 AND u.time_multiplier <= 4
	   AND NOT EXISTS (SELECT 1 FROM accommodation_changes c
	                    WHERE c.user_id = u.id AND c.team_id IS NULL)
), carried AS (
	INSERT INTO team_accommodations (team_id, user_id, multiplier, set_by)
	SELECT m.team_id, m.user_id, u.time_multiplier, NULL
	  FROM unrecorded u JOIN team_members m ON m.user_id = u.id
	ON CONFLICT (team_id, user_id) DO NOTHING
	RETURNING team_id, user_id, multiplier
)
INSERT INTO accommodation_changes (user_id, team_id, multiplier, changed_by, carried_over)
SELECT user_id, team_id, multiplier, NULL, true FROM carried;
