'use client';

import { buttonStyles } from './button-styles';

export function PrintButton() {
  return (
    <button type="button" className={`${buttonStyles.secondary} print:hidden`} onClick={() => window.print()}>
      Print
    </button>
  );
}
