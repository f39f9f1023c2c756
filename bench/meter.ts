/**
 * What a bench server spends while it serves: SQL statements, CPU and requests, over a window the
 * load generator opens and closes through `GET /__bench/meter?reset`.
 *
 * Statements are counted at pg's Client#query, below every library: knex, connect-pg-simple's pool
 * and Kysely (Better Auth) all send each statement through it, BEGIN and COMMIT included, so two
 * stacks are counted the same way whatever their query builder reports. (pg's Pool#query checks a
 * client out and calls Client#query, so wrapping the Client alone counts every statement once.)
 */
import pg from 'pg';
import type { Express, NextFunction, Request, Response } from 'express';

interface Window {
  statements: number;
  requests: number;
  cpu: NodeJS.CpuUsage;
  started: number;
  /** The first statements of the window, for listing what one request sends. */
  sql: string[];
  startRss: number;
  peakRss: number;
}

let current: Window = fresh();
let rssSampler: NodeJS.Timeout | undefined;

function fresh(): Window {
  const rss = process.memoryUsage.rss();
  return { statements: 0, requests: 0, cpu: process.cpuUsage(), started: performance.now(), sql: [], startRss: rss, peakRss: rss };
}

type Query = (this: pg.Client, ...args: unknown[]) => unknown;
const original = pg.Client.prototype.query as unknown as Query;
(pg.Client.prototype as unknown as { query: Query }).query = function countedQuery(this: pg.Client, ...args: unknown[]) {
  current.statements++;
  if (current.sql.length < 50) {
    const q = args[0];
    current.sql.push(typeof q === 'string' ? q : String((q as { text?: unknown })?.text ?? q));
  }
  return original.apply(this, args);
};

// The event loop is free while a password hash runs on libuv's pool, so sampling here sees the
// hash's memory. Only in windows that ask for it (`&rss`): the throughput windows run without it.
function sampleRss(on: boolean): void {
  if (rssSampler) clearInterval(rssSampler);
  rssSampler = on ? setInterval(() => (current.peakRss = Math.max(current.peakRss, process.memoryUsage.rss())), 2) : undefined;
}

export interface MeterReading {
  statements: number;
  requests: number;
  /** CPU microseconds (user + system) of the whole server process over the window. */
  cpuMicros: number;
  ms: number;
  sql: string[];
  /** Resident memory when the window opened, and the most seen in it (sampled every 2 ms in windows opened with `&rss`). */
  startRss: number;
  peakRss: number;
}

/** Counts served requests (not the meter's own) and serves the meter at /__bench/meter. */
export function installMeter(app: Express): void {
  app.get('/__bench/meter', (req: Request, res: Response) => {
    const cpu = process.cpuUsage(current.cpu);
    const reading: MeterReading = {
      statements: current.statements,
      requests: current.requests,
      cpuMicros: cpu.user + cpu.system,
      ms: performance.now() - current.started,
      sql: current.sql,
      startRss: current.startRss,
      peakRss: current.peakRss,
    };
    if (req.query.reset !== undefined) {
      current = fresh();
      sampleRss(req.query.rss !== undefined);
    }
    res.json(reading);
  });
  app.use((req: Request, res: Response, next: NextFunction) => {
    // 'close', not 'finish': a request still in flight when the load stops counts too, as its statements do.
    res.once('close', () => current.requests++);
    next();
  });
}
