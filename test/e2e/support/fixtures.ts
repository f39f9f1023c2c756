import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { World } from '../../support/world.js';
import type { AccountUsersOptions } from '../../../lib/index.js';
import { launchChromium, newPerson, type Viewport } from './browser.js';
import { RunningPortal } from './portal.js';

let chromium: Promise<Browser> | undefined;

/** One Chromium for the whole run: launching it is the slowest step, and each person gets a context of their own anyway. */
function sharedChromium(): Promise<Browser> {
  chromium ??= launchChromium();
  return chromium;
}

/** Mocha root hooks (loaded by test/e2e/.mocharc.json): the shared Chromium closes after the last file. */
export const mochaHooks = {
  async afterAll(): Promise<void> {
    if (chromium) await (await chromium).close();
  },
};

/** The people of one describe block: a browser context each, on one origin, all closed together. */
class People {
  browser!: Browser;
  url = '';
  private readonly contexts: BrowserContext[] = [];

  async person(viewport?: Viewport, locale?: string): Promise<Page> {
    const { context, page } = await newPerson(this.browser, this.url, viewport, locale);
    this.contexts.push(context);
    return page;
  }

  async close(): Promise<void> {
    await Promise.all(this.contexts.splice(0).map((c) => c.close()));
  }
}

export interface PortalInChromium {
  /** The seeded example portal of this describe block (its clock, its mail catcher, its URL). */
  readonly running: RunningPortal;
  /** Someone with a browser of their own (own cookies) pointed at the portal; in their `locale` (`de-DE`) when given. */
  person(viewport?: Viewport, locale?: string): Promise<Page>;
}

/**
 * The set-up every browser scenario shares, as before/after hooks of the calling describe
 * block: a fresh seeded portal of its own, the run's one Chromium, and the people's
 * contexts closed (and the portal stopped) when the block ends.
 */
export function portalInChromium(): PortalInChromium {
  const running = new RunningPortal();
  const people = new People();

  before(async () => {
    [people.browser] = await Promise.all([sharedChromium(), running.start()]);
    people.url = running.url;
  });
  after(async () => {
    await people.close();
    await running.stop();
  });

  return { running, person: (viewport, locale) => people.person(viewport, locale) };
}

export interface HostInChromium {
  /** The test host of test/support (kit pages in their built-in layout), its database and its SMTP sink. */
  readonly world: World;
  person(viewport?: Viewport, locale?: string): Promise<Page>;
}

/** Like portalInChromium(), for the bare test host: the kit with no layout of the host's around its pages. */
export function hostInChromium(): HostInChromium {
  const world = new World();
  const people = new People();
  let server: Server | undefined;

  before(async () => {
    await world.setUp();
    server = createServer(world.host.app);
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    people.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    people.browser = await sharedChromium();
  });
  after(async () => {
    await people.close();
    server?.closeAllConnections();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    await world.tearDown();
  });

  return { world, person: (viewport, locale) => people.person(viewport, locale) };
}

/**
 * Like hostInChromium(), served at http://localhost:<port> (a secure context whose host may be a
 * WebAuthn rpID, which 127.0.0.1 may not), with options that may name that URL (`twoFactor.passkeys`).
 */
export function hostOnLocalhost(options: (url: string) => Partial<AccountUsersOptions>): HostInChromium {
  const world = new World();
  const people = new People();
  let server: Server | undefined;

  before(async () => {
    // Listening first: the port is part of the origin the kit's options name.
    server = createServer((req, res) => world.host.app(req, res));
    await new Promise<void>((resolve) => server!.listen(0, 'localhost', resolve));
    people.url = `http://localhost:${(server.address() as AddressInfo).port}`;
    await world.setUp(options(people.url));
    people.browser = await sharedChromium();
  });
  after(async () => {
    await people.close();
    server?.closeAllConnections();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    await world.tearDown();
  });

  return { world, person: (viewport, locale) => people.person(viewport, locale) };
}
