import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';

/** Every text the app shows, Dutch first (the default) and English. */
const resources = {
  nl: {
    translation: {
      appName: 'Client Online',
      language: 'Taal',
      signIn: 'Inloggen',
      signUp: 'Account aanmaken',
      signOut: 'Uitloggen',
      login: 'Gebruikersnaam of e-mailadres',
      username: 'Gebruikersnaam',
      lastName: 'Achternaam',
      firstName: 'Voornaam (optioneel)',
      email: 'E-mailadres',
      password: 'Wachtwoord',
      newsletter: 'Ja, stuur mij de nieuwsbrief (service- en onderhoudsberichten)',
      privacyStatement: 'Lees de privacyverklaring',
      noAccount: 'Nog geen account?',
      haveAccount: 'Al een account?',
      workspaces: 'Werkruimtes',
      newWorkspace: 'Nieuwe werkruimte',
      threads: 'Gesprekken',
      newThread: 'Nieuw gesprek',
      create: 'Aanmaken',
      chooseThread: 'Kies een gesprek.',
      message: 'Bericht',
      send: 'Versturen',
      deleted: 'Bericht verwijderd',
      edited: 'bewerkt',
      errors: {
        UNAUTHENTICATED: 'Onjuiste inloggegevens.',
        RATE_LIMITED: 'Te veel pogingen. Probeer het over {{retryAfter}} seconden opnieuw.',
        CONFLICT: 'Deze gebruikersnaam of dit e-mailadres is al in gebruik.',
        BAD_USER_INPUT: 'Controleer de invoer: {{message}}',
        unknown: 'Er ging iets mis. Probeer het opnieuw.',
      },
    },
  },
  en: {
    translation: {
      appName: 'Client Online',
      language: 'Language',
      signIn: 'Sign in',
      signUp: 'Create account',
      signOut: 'Sign out',
      login: 'Username or email',
      username: 'Username',
      lastName: 'Last name',
      firstName: 'First name (optional)',
      email: 'Email',
      password: 'Password',
      newsletter: 'Yes, send me the newsletter (service and maintenance news)',
      privacyStatement: 'Read the privacy statement',
      noAccount: 'No account yet?',
      haveAccount: 'Already have an account?',
      workspaces: 'Workspaces',
      newWorkspace: 'New workspace',
      threads: 'Threads',
      newThread: 'New thread',
      create: 'Create',
      chooseThread: 'Choose a thread.',
      message: 'Message',
      send: 'Send',
      deleted: 'Message deleted',
      edited: 'edited',
      errors: {
        UNAUTHENTICATED: 'Wrong login or password.',
        RATE_LIMITED: 'Too many attempts. Try again in {{retryAfter}} seconds.',
        CONFLICT: 'This username or email address is taken.',
        BAD_USER_INPUT: 'Please check: {{message}}',
        unknown: 'Something went wrong. Please try again.',
      },
    },
  },
};

void i18n.use(initReactI18next).init({ resources, lng: 'nl', fallbackLng: 'nl', interpolation: { escapeValue: false } });
i18n.on('languageChanged', (lng) => (document.documentElement.lang = lng));

export default i18n;
