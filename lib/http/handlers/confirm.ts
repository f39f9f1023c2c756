import type { Request, Response } from 'express';
import type { Responder } from '../respond.js';

/** What a confirmation page says: its heading and consequence, the button that acts, and the way back. */
export interface Confirmation {
  heading: string;
  body: string;
  /** The POST that acts: the same route a JSON client calls directly. */
  action: string;
  button: string;
  back: string;
  backText: string;
}

/**
 * The second step of an action nothing undoes (pages/confirm): a GET that changes nothing and
 * shows a form posting to the action. JSON clients get `json` (the thing the action is about)
 * and send the POST themselves: asking is the page's job, not the API's.
 */
export function confirmPage(respond: Responder, req: Request, res: Response, page: Confirmation, json: Record<string, unknown>): Promise<void> {
  return respond.page(req, res, 'confirm', { title: page.heading, ...page }, json);
}
