/**
 * The page's tabs (Digits, Names): each tab button shows its panel and hides the others. The
 * backend picker sits above them and serves both. `?tab=names` opens the Names tab.
 */
export function setupTabs(root: Document): void {
  const buttons = Array.from(root.querySelectorAll<HTMLButtonElement>('[role=tab]'));
  const show = (name: string): void => {
    for (const b of buttons) {
      const on = b.dataset.tab === name;
      b.setAttribute('aria-selected', String(on));
      root.getElementById(`tab-${b.dataset.tab}`)!.hidden = !on;
    }
  };
  for (const b of buttons) b.addEventListener('click', () => show(b.dataset.tab!));
  const asked = new URLSearchParams(location.search).get('tab');
  show(buttons.some((b) => b.dataset.tab === asked) ? asked! : buttons[0].dataset.tab!);
}
