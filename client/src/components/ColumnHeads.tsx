import { useTranslation } from 'react-i18next';

/**
 * A table's header row. Every column has a name for screen readers; the last column of row actions has no
 * visible heading (`actions`).
 */
export function ColumnHeads({ columns, actions = false }: { columns: string[]; actions?: boolean }) {
  const { t } = useTranslation();
  return (
    <thead>
      <tr>
        {columns.map((column) => (
          <th scope="col" key={column}>
            {column}
          </th>
        ))}
        {actions && (
          <th scope="col">
            <span className="visually-hidden">{t('documents.actions')}</span>
          </th>
        )}
      </tr>
    </thead>
  );
}
