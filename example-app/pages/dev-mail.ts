import { Router } from 'express';
import Handlebars from 'handlebars';
import type { MailCatcher } from '../mail-catcher.js';
import { idParam, notFound, type PageDeps } from './deps.js';

/** The text body, escaped, with its links made clickable (the invitation link above all). */
export function linkify(text: string): string {
  const escape = Handlebars.escapeExpression;
  return text
    .split(/(https?:\/\/[^\s<>"']+)/)
    .map((part, i) => (i % 2 === 1 ? `<a href="${escape(part)}">${escape(part)}</a>` : escape(part)))
    .join('');
}

/** Development only: what the in-process mail catcher received. Never mounted in production. */
export function devMailPages(deps: PageDeps & { catcher: MailCatcher }): Router {
  const { au, render, catcher } = deps;
  const router = Router();
  // Loaded only for the header and navigation: the catcher is open to anyone while developing.
  router.use('/dev/mail', au.loadAccountUser);
  router.get('/dev/mail', (req, res) => {
    const messages = [...catcher.messages].reverse().map((m) => ({ ...m, received: m.receivedAt.toISOString().slice(11, 19) }));
    render.page(req, res, 'mail-list', { title: 'Mail catcher', messages });
  });
  router.get('/dev/mail/:id', (req, res) => {
    const message = catcher.find(idParam(req));
    if (!message) return notFound(deps, req, res);
    return render.page(req, res, 'mail-message', { title: message.subject, message, linkedText: linkify(message.text) });
  });
  return router;
}
