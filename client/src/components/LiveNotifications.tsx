import { useApolloClient, useSubscription } from '@apollo/client/react';
import type { DocumentNode } from 'graphql';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  MyPrivacyRequestsDocument,
  NotificationsDocument,
  PrivacyStatementDocument,
  WorkspacesDocument,
  type NotificationKind,
} from '../generated/graphql';

/** What each notification makes stale; only queries on screen are fetched again. */
const staleAfter: Record<NotificationKind, DocumentNode[]> = {
  PRIVACY_STATEMENT_CHANGED: [PrivacyStatementDocument],
  PRIVACY_REQUEST_UPDATED: [MyPrivacyRequestsDocument],
  ADDED_TO_WORKSPACE: [WorkspacesDocument],
  APPROVAL_REQUESTED: [],
};

/** The person's own event stream: keeps the screens that depend on it current, and says what happened. */
export function LiveNotifications() {
  const { t } = useTranslation();
  const apollo = useApolloClient();
  const [latest, setLatest] = useState<{ kind: NotificationKind; at: string } | null>(null);
  useSubscription(NotificationsDocument, {
    onData: ({ data }) => {
      const notification = data.data?.notifications;
      if (!notification) return;
      setLatest({ kind: notification.kind, at: notification.at });
      void apollo.refetchQueries({ include: staleAfter[notification.kind] });
    },
  });
  if (!latest || latest.kind === 'PRIVACY_STATEMENT_CHANGED') return null; // the banner says that one
  return (
    <p className="toast" role="status">
      {t(`notifications.${latest.kind}`)}{' '}
      <button type="button" className="link" onClick={() => setLatest(null)}>
        {t('close')}
      </button>
    </p>
  );
}
