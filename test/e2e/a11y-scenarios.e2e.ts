/**
 * Accessibility of the scenario UI in real Chromium: axe finds no violations in an attack
 * scenario (attacker lane, variant switch, clock, attacker state) nor with the request editor
 * open, in light and in dark.
 */
import { expect, expectNoAxeViolations, LabPage, test } from './helpers.ts'

for (const colorScheme of ['light', 'dark'] as const) {
  test.describe(`in ${colorScheme}`, () => {
    test.use({ colorScheme })

    test('an attack scenario has no axe violations at its start, middle and end', async ({
      page,
    }) => {
      const lab = new LabPage(page)
      await page.goto('/?scenario=code-interception&variant=vulnerable')
      await lab.ready()
      await expect(page.getByRole('combobox', { name: 'Scenario' })).toHaveValue(
        'code-interception',
      )
      await expectNoAxeViolations(page, `code-interception start (${colorScheme})`)
      for (let i = 0; i < 14; i++) await page.keyboard.press('ArrowRight')
      await lab.expectIndex(14)
      await expectNoAxeViolations(page, `code-interception step 15 (${colorScheme})`)
      await lab.pressEnd()
      await expectNoAxeViolations(page, `code-interception end (${colorScheme})`)
    })

    test('the request editor has no axe violations', async ({ page }) => {
      const lab = new LabPage(page)
      await lab.open()
      await lab.nextUntil('Token request on the back channel')
      await lab.show('Log')
      const entry = lab.logEntries.filter({ hasText: /POST auth\.example\/token/ }).first()
      await entry.getByRole('button', { expanded: false }).first().click()
      await entry.getByRole('button', { name: 'Edit and resend' }).click()
      await expect(entry.getByRole('form', { name: 'Edit and resend' })).toBeVisible()
      await expectNoAxeViolations(page, `request editor (${colorScheme})`)
    })
  })
}
