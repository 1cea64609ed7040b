// The current interface language as shared reactive state, and a picker for bilingual texts.
import type { Lang } from './bindings/Lang';
import type { Text } from './bindings/Text';

export const ui = $state<{ lang: Lang }>({ lang: 'zh' });

/** Switches the interface (not the stored preference: see api.setLanguage). */
export function applyLang(lang: Lang): void {
  ui.lang = lang;
  document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
}

/** The text of a backend message in the current language. */
export function pick(text: Text): string {
  return text[ui.lang];
}
