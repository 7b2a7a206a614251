// Who is logged in: GET /console/api/me's answer, or null. The shell
// (app.js) fills it; pages read it. A module of its own, so that pages
// need not import the shell that imports them.
export const session = { me: null };
