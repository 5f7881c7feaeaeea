import { MockedProvider } from '@apollo/client/testing/react';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import '../i18n';
import { AcknowledgePrivacyStatementDocument, PrivacyStatementDocument } from '../generated/graphql';
import { StatementBanner } from './StatementBanner';

const statement = (acknowledged: boolean) => ({
  request: { query: PrivacyStatementDocument },
  result: { data: { privacyStatement: { __typename: 'PrivacyStatement', version: 3, text: 'Wij delen niets zonder uw toestemming.', publishedAt: '2026-11-24T09:00:00.000Z', acknowledged } } },
});

afterEach(cleanup);

describe('the privacy statement banner', () => {
  it('shows an unacknowledged statement, sends the acknowledgement for its version, and goes away', async () => {
    render(
      <MockedProvider
        mocks={[statement(false), { request: { query: AcknowledgePrivacyStatementDocument, variables: { version: 3 } }, result: { data: { acknowledgePrivacyStatement: true } } }, statement(true)]}
      >
        <StatementBanner />
      </MockedProvider>,
    );
    const banner = await screen.findByRole('complementary', { name: /Privacyverklaring versie 3/ });
    expect(banner.textContent).toContain('Wij delen niets zonder uw toestemming.');
    fireEvent.click(screen.getByRole('button', { name: 'Gelezen' }));
    await waitFor(() => expect(screen.queryByRole('complementary')).toBeNull());
  });

  it('shows nothing once the statement is acknowledged', async () => {
    const { container } = render(
      <MockedProvider mocks={[statement(true)]}>
        <StatementBanner />
      </MockedProvider>,
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(container.innerHTML).toBe('');
  });
});
