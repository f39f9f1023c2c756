import type { Request, Response } from 'express';
import { reconcileRoster, type ReconcileResult, type RosterChange } from '../../../services/roster/reconcile.js';
import { ConflictError, InvalidInputError } from '../../../errors.js';
import type { Locale } from '../../../i18n/locale.js';
import { errorMessage } from '../../form-errors.js';
import { bodyOf, wantsJson } from '../../request.js';
import { actorOf, type HandlerDeps } from '../deps.js';
import { grantedStepUpKeys, requireStepUpIfGranting } from '../two-factor/step-up.js';

/** `apply` as a form (`0`/`1`), a query string or JSON (`true`/`false`) sends it; anything else is passed on for the service to refuse. */
function applyOf(value: unknown): unknown {
  if (value === undefined || value === '' || value === '0' || value === 'false') return false;
  if (value === '1' || value === 'true') return true;
  return value;
}

/** The roster of a request: a form's or JSON's `csv` field, or a `text/csv` body. */
function csvOf(req: Request): unknown {
  return typeof req.body === 'string' && req.is('text/csv') ? req.body : bodyOf(req).csv;
}

/** The digest of the difference the apply was asked from: the form's hidden field, JSON's `digest`, or `?digest=` beside a `text/csv` body. */
function digestOf(req: Request): unknown {
  return req.is('text/csv') ? req.query.digest : bodyOf(req).digest;
}

/** A change as the page lists it: the address and, in the page's language, what it holds or what changes. */
function describe(locale: Locale, c: RosterChange) {
  const labels = (keys: readonly string[] | undefined) => {
    const list = (keys ?? []).map((k) => locale.label(k));
    return list.length ? locale.format.list(list) : locale.message('activity.none');
  };
  return {
    email: c.email,
    invitation: c.kind === 'invitation',
    owner: c.owner === true,
    what: c.from ? locale.message('activity.changes', { from: labels(c.from), to: labels(c.to) }) : labels(c.permissions),
  };
}

export function rosterHandlers({ kit, respond, localeOf }: HandlerDeps) {
  const example = () => {
    const keys = kit.catalogue.keys.slice(0, 2);
    const preset = kit.options.presets[0]?.key;
    return ['email,permissions', `ann@example.com,${keys.join(';')}`, `bob@example.com,${preset ?? keys[0] ?? ''}`, 'cat@example.com,'].join('\n');
  };

  async function rosterForm(req: Request, res: Response, csv: string, errors?: InvalidInputError) {
    const locale = localeOf(req);
    return respond.form(
      req,
      res,
      'roster',
      { title: locale.message('roster.title'), csv, example: example(), maxRows: kit.options.limits.rosterMaxRows },
      errors,
      { maxRows: kit.options.limits.rosterMaxRows, maxBytes: kit.options.limits.rosterMaxBytes },
    );
  }

  return {
    /** GET /roster */
    async form(req: Request, res: Response) {
      await rosterForm(req, res, '');
    },

    /** POST /roster (apply=0: the difference; apply=1: applied) */
    async reconcile(req: Request, res: Response) {
      const csv = csvOf(req);
      const apply = applyOf(req.is('text/csv') ? req.query.apply : bodyOf(req).apply);
      const digest = digestOf(req);
      let result: ReconcileResult;
      // Set when the apply was refused because the difference moved: the page shows it as it is now.
      let differs: ConflictError | undefined;
      try {
        const actor = actorOf(kit, req);
        // Applying a roster that grants `profile` or `manageusers` asks for a recent second factor, as
        // an invitation or a permissions change does: the difference is worked out first (rolled back).
        if (apply === true) {
          await requireStepUpIfGranting(
            kit,
            req,
            actor.userId,
            async () => {
              const { changes } = await reconcileRoster(kit, { actor, accountId: actor.accountId, csv, apply: false });
              return [
                ...changes.invite.map((c) => c.permissions ?? []),
                ...changes.change.map((c) => (c.to ?? []).filter((k) => !(c.from ?? []).includes(k))),
              ].some((keys) => grantedStepUpKeys(keys).length > 0);
            },
            `${req.baseUrl}/roster`,
          );
        }
        try {
          result = await reconcileRoster(kit, { actor, accountId: actor.accountId, csv, apply, digest });
        } catch (err) {
          // A JSON client gets the 409 naming `digest`; a page, the new difference to look at, with the refusal above it.
          if (!(err instanceof ConflictError && err.field === 'digest') || wantsJson(req)) throw err;
          differs = err;
          result = await reconcileRoster(kit, { actor, accountId: actor.accountId, csv, apply: false });
        }
      } catch (err) {
        if (!(err instanceof InvalidInputError)) throw err;
        return rosterForm(req, res, typeof csv === 'string' ? csv.slice(0, kit.options.limits.rosterMaxBytes) : '', err);
      }
      const locale = localeOf(req);
      const { changes, applied, digest: shown } = result;
      if (applied) {
        const counts = {
          invite: changes.invite.length,
          change: changes.change.length,
          suspend: changes.suspend.length,
          reinstate: changes.reinstate.length,
          remove: changes.remove.length,
        };
        return respond.done(
          req,
          res,
          `${req.baseUrl}/`,
          { type: 'success', text: locale.message('roster.applied', counts) },
          { changes, applied, digest: shown },
        );
      }
      const section = (name: 'invite' | 'change' | 'suspend' | 'reinstate' | 'remove' | 'unchanged') => ({
        heading: locale.message(`roster.${name}`, { count: changes[name].length }),
        items: changes[name].map((c) => describe(locale, c)),
      });
      const pending = changes.invite.length + changes.change.length + changes.suspend.length + changes.reinstate.length + changes.remove.length;
      await respond.page(
        req,
        res,
        'roster-diff',
        {
          title: locale.message('roster.diffTitle'),
          csv,
          digest: shown,
          differs: differs ? errorMessage(locale, differs) : undefined,
          sections: [section('invite'), section('change'), section('suspend'), section('reinstate'), section('remove'), section('unchanged')],
          nothing: pending === 0,
        },
        { changes, applied, digest: shown },
        differs?.status,
      );
    },
  };
}
