// Steps for the searchable model picker (renderer/ui/ModelPicker.tsx), an ARIA combobox: wait for its
// choices, and pick one by typing part of it and clicking the match.
import { expect, type Page } from '@playwright/test';

/** The picker's text box (its accessible name is its label). */
export const modelBox = (page: Page, label = 'Model') => page.getByRole('combobox', { name: label, exact: true });

/** Waits until the models have loaded: the picker is enabled and shows a choice. */
export async function modelsLoaded(page: Page, label = 'Model'): Promise<void> {
  await expect(modelBox(page, label)).toBeEnabled();
  await expect(modelBox(page, label)).not.toHaveValue('');
}

/** Picks `id` the way a user would: type to filter, then click the option. */
export async function pickModel(page: Page, id: string, label = 'Model'): Promise<void> {
  const box = modelBox(page, label);
  await expect(box).toBeEnabled();
  await box.click();
  await box.fill(id);
  await page.getByRole('listbox').getByRole('option', { name: id, exact: true }).click();
  await expect(box).toHaveValue(id);
}
