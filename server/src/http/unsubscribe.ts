import { Router, type Request, type Response } from 'express';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Services } from '../modules/services.js';

const page = (title: string, text: string) => `<!doctype html>
<html lang="nl"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title><style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;line-height:1.5}</style></head>
<body><h1>${title}</h1><p>${text}</p></body></html>`;

/**
 * The unsubscribe link of a newsletter, without signing in: GET shows a confirmation page, POST is the
 * one-click unsubscribe of RFC 8058 that mail clients send (List-Unsubscribe-Post).
 */
export function unsubscribeRoutes(deps: { orm: MikroORM; services: Services }): Router {
  const router = Router();
  const handle = (oneClick: boolean) => async (req: Request, res: Response) => {
    const token = typeof req.query.token === 'string' ? req.query.token : '';
    res.set({ 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer' });
    try {
      await deps.services.newsletters.unsubscribe(deps.orm.em.fork(), token);
      if (oneClick) res.status(200).type('text/plain').send('Unsubscribed.');
      else res.status(200).type('html').send(page('U bent afgemeld', 'U ontvangt de nieuwsbrief van Client Online niet meer. U kunt zich altijd weer aanmelden in uw privacycentrum.'));
    } catch {
      if (oneClick) res.status(400).type('text/plain').send('Invalid unsubscribe link.');
      else res.status(400).type('html').send(page('Ongeldige link', 'Deze afmeldlink is niet geldig. Afmelden kan ook in uw privacycentrum.'));
    }
  };
  router.get('/unsubscribe', handle(false));
  router.post('/unsubscribe', handle(true));
  return router;
}
