// t() for the materials pages: their own catalogue, in the app's current language.
import type { Material } from '../../api.ts';
import { DEFAULT_UNITS } from '../../materials.ts';
import { featureMessages } from '../index.svelte.ts';
import { en } from './en.ts';
import { es } from './es.ts';

export type { MaterialsKey } from './en.ts';

export const tm = featureMessages({ en, es });

/** The unit a material is counted in: the default one in the reader's language. */
export function unitOf(material: Material): string {
  return material.unit === DEFAULT_UNITS[material.kind]
    ? tm(`materialUnit.${material.kind}`)
    : material.unit;
}
