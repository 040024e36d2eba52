/** A small docs corpus for server tests (seeded with `seedDocuments` and the hashing embedder). */
import type { SeedDocument } from './seed';

export const SERVER_DOCS: SeedDocument[] = [
  {
    path: 'api/routing.md',
    title: 'Routing',
    sections: [
      { text: 'Routing maps a method and a path to a handler.' },
      {
        heading: 'Path parameters',
        text: 'Read a path parameter with c.req.param("id") inside the handler. Optional parameters end with a question mark.',
      },
      {
        heading: 'Grouping routes',
        text: 'Group routes with app.route("/book", book) to mount a sub application. Grouping keeps large apps tidy.',
      },
    ],
  },
  {
    path: 'guides/cookies.md',
    title: 'Cookies',
    sections: [
      {
        heading: 'Set a cookie',
        text: 'Use setCookie(c, "name", "value") to set a cookie on the response. Cookies are sent back by the browser on every request.\n\n```ts\nsetCookie(c, "session", token, { httpOnly: true })\n```',
      },
      { heading: 'Delete a cookie', text: 'Use deleteCookie(c, "name") to delete a cookie. Deleting expires it immediately.' },
    ],
  },
  {
    path: 'guides/middleware.md',
    title: 'Middleware',
    sections: [
      { heading: 'Writing middleware', text: 'Middleware runs before and after the handler. Call await next() to run the next handler.' },
    ],
  },
  {
    source: 'legacy',
    path: 'api/routing.md',
    title: 'Routing (v1)',
    sections: [{ heading: 'Path parameters', text: 'In version one, read a path parameter with req.params.id in the handler.' }],
  },
];
