import type { Kit } from './context.js';
import { InvalidInputError } from '../errors.js';
import { ALL_PERMISSIONS } from '../permissions.js';

/** A preset as the forms show it: its key, label and the catalogue's keys it ticks. */
export interface PresetView {
  key: string;
  label: string;
  permissions: string[];
}

/** A preset's `all`: it applies "All permissions" (ALL_PERMISSIONS among its keys). */
export function presetsOf(kit: Kit): Array<PresetView & { all: boolean }> {
  return kit.options.presets.map((p) => ({
    key: p.key,
    label: p.label,
    permissions: kit.catalogue.normalise([...p.permissions]),
    all: kit.catalogue.coversAll(p.permissions),
  }));
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

/** "All permissions" asked for: `allPermissions` as given, or a preset that applies it. */
export function withPresetAll(kit: Kit, allPermissions: unknown, preset: unknown): unknown {
  if (preset === undefined || preset === null || preset === '') return allPermissions;
  return presetPermissions(kit, preset).includes(ALL_PERMISSIONS) ? true : allPermissions;
}

/**
 * au.api and JSON take `preset` beside or instead of `permissions`: the preset's keys are added
 * to any given. Absent: `permissions` as given.
 */
export function withPreset(kit: Kit, permissions: unknown, preset: unknown): unknown {
  if (preset === undefined || preset === null || preset === '') return permissions;
  const keys = presetPermissions(kit, preset).filter((k) => k !== ALL_PERMISSIONS);
  if (permissions === undefined) return keys;
  return Array.isArray(permissions) ? [...(permissions as unknown[]), ...keys] : typeof permissions === 'string' ? [permissions, ...keys] : permissions;
}
