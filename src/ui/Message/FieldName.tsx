import { explainField, type FieldKind } from '../../flow/glossary/fields.ts'
import { Term } from '../Glossary/Term.tsx'

/**
 * A field's name as sent, in `<code>`, explaining itself when the glossary knows it: what it
 * means, who sets it, who checks it, and the section that defines it.
 */
export function FieldName({ kind, name }: { kind: FieldKind; name: string }) {
  const explanation = explainField(kind, name)
  const code = <code translate="no">{name}</code>
  return explanation ? <Term explanation={explanation}>{code}</Term> : code
}
