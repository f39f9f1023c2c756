import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { AccountUsers } from '../../lib/index.js';
import type { PortalData } from '../portal-data.js';
import type { Renderer } from '../render.js';

export interface PageDeps {
  au: AccountUsers;
  data: PortalData;
  render: Renderer;
  /** The portal's clock, the same one the kit reads. */
  now: () => Date;
}

/** Express 4 does not catch rejected promises: every async handler reports through next(). */
export function wrap(fn: (req: Request, res: Response, next: NextFunction) => Promise<unknown>): RequestHandler {
  return function portalHandler(req, res, next) {
    fn(req, res, next).catch(next);
  };
}

/** The active account's id; only called after a kit guard has set req.accountUser. */
export function accountId(req: Request): number {
  const id = req.accountUser?.account.id;
  if (id === undefined) throw new Error('example-app: a page ran without a kit guard before it');
  return id;
}

export function idParam(req: Request): number {
  const id = Number(req.params.id);
  return Number.isSafeInteger(id) && id > 0 ? id : 0;
}

export function field(req: Request, name: string, max = 255): string {
  const value = (req.body as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' ? value.trim().slice(0, max) : '';
}

export function notFound(deps: PageDeps, req: Request, res: Response): void {
  deps.render.page(req, res, 'error', { title: 'Not found', message: 'There is nothing here, or it belongs to another account.' }, 404);
}
