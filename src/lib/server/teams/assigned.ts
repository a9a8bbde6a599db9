// Whether an assignment applies to an athlete: a whole-team assignment applies to every member,
// a chosen-athletes one only to those chosen. One rule for the dashboard, the grid, the reminders
// and the digest, so none of them tells an athlete about work that was never theirs.
import { eq, or, sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import { teamAssignmentAthletes, teamAssignments } from '../db/schema';

/** `athlete` is a user id or a column holding one (e.g. teamMembers.userId). */
export const assignmentAppliesTo = (athlete: string | SQLWrapper): SQL =>
	or(
		eq(teamAssignments.wholeTeam, true),
		sql`exists (select 1 from ${teamAssignmentAthletes}
			where ${teamAssignmentAthletes.assignmentId} = ${teamAssignments.id}
			  and ${teamAssignmentAthletes.userId} = ${athlete})`
	)!;
