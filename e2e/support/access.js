// The access table the tests hold the app to. Written out here on purpose (not read
// from the app), so a change in the app's rules shows up as a failing test.

export const ROLES = ['sagsbehandler', 'virksomhedskonsulent', 'leder', 'udvalg', 'admin'];

/**
 * The areas in navigation order, with their labels, the roles that may enter and, as the 403
 * page words it, the action that opening the area is ("Som Udvalgsmedlem må du ikke <refused>.").
 */
export const AREAS = [
  { path: '/overblik', da: 'Overblik', en: 'Overview', roles: ROLES },
  { path: '/plan', da: 'Plan og mål', en: 'Plan and goals', roles: ROLES },
  {
    path: '/borgere',
    da: 'Borgere',
    en: 'Citizens',
    roles: ['sagsbehandler', 'leder'],
    refused: 'se borgernes sager',
  },
  {
    path: '/virksomheder',
    da: 'Virksomheder',
    en: 'Companies',
    roles: ['virksomhedskonsulent', 'leder'],
    refused: 'se virksomhederne',
  },
  {
    path: '/match',
    da: 'Match',
    en: 'Match',
    roles: ['sagsbehandler', 'virksomhedskonsulent', 'leder'],
    refused: 'matche kandidater og jobordrer',
  },
  { path: '/rapporter', da: 'Rapporter', en: 'Reports', roles: ROLES },
  {
    path: '/administration',
    da: 'Administration',
    en: 'Administration',
    roles: ['admin'],
    refused: 'administrere brugere',
  },
];

export const allowedAreas = (role) => AREAS.filter((a) => a.roles.includes(role));
export const forbiddenAreas = (role) => AREAS.filter((a) => !a.roles.includes(role));
