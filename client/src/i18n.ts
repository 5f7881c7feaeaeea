import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import { en } from './locales/en';
import { nl } from './locales/nl';

const STORAGE_KEY = 'client-online.language';
const stored = typeof localStorage === 'undefined' ? null : localStorage.getItem(STORAGE_KEY);

void i18n.use(initReactI18next).init({
  resources: { nl: { translation: nl }, en: { translation: en } },
  lng: stored === 'en' ? 'en' : 'nl',
  fallbackLng: 'nl',
  interpolation: { escapeValue: false },
});

// the page's lang follows the language chosen (screen readers pronounce by it), and the choice is remembered
const follow = (lng: string) => {
  document.documentElement.lang = lng;
  localStorage.setItem(STORAGE_KEY, lng);
};
i18n.on('languageChanged', follow);
document.documentElement.lang = i18n.language;

export default i18n;
