import type { Kit } from './context.js';
import { InvalidInputError } from '../errors.js';

/** A preset as the forms show it: its key, label and the catalogue's keys it ticks. */
export interface PresetView {
  key: string;
  label: string;
  permissions: string[];
}

export function presetsOf(kit: Kit): PresetView[] {
  return kit.options.presets.map((p) => ({ key: p.key, label: p.label, permissions: kit.catalogue.normalise([...p.permissions]) }));
}

/** The preset's keys, or InvalidInputError on `field` for a name the options do not hold. */
export function presetPermissions(kit: Kit, key: unknown, field = 'preset'): string[] {
  const preset = typeof key === 'string' ? kit.options.presets.find((p) => p.key === key) : undefined;
  if (!preset) {
    const names = kit.options.presets.map((p) => `"${p.key}"`).join(', ');
    throw names ? InvalidInputError.field(field, 'field.presetOneOf', { names }) : InvalidInputError.field(field, 'field.noPresets');
  }
  return [...preset.permissions];
}

/**
 * au.api and JSON take `preset` beside or instead of `permissions`: the preset's keys are added
 * to any given. Absent: `permissions` as given.
 */
export function withPreset(kit: Kit, permissions: unknown, preset: unknown): unknown {
  if (preset === undefined || preset === null || preset === '') return permissions;
  const keys = presetPermissions(kit, preset);
  if (permissions === undefined) return keys;
  return Array.isArray(permissions) ? [...(permissions as unknown[]), ...keys] : typeof permissions === 'string' ? [permissions, ...keys] : permissions;
}
