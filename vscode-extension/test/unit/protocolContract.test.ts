/**
 * src/protocol.ts against the Java contract: protocol/target/protocol-description.json is written
 * by the protocol module's ProtocolDescriptionTest (mvn -pl protocol test). Every Java method must
 * be declared here with the same name, kind, direction, params and result type; every Java record
 * must have an interface with exactly its fields (Java primitives required); every enum a union
 * type with exactly its wire values.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { ErrorCodes, PROTOCOL_VERSION } from '../../src/protocol';

const DESCRIPTION = process.env.LOOPWIRE_PROTOCOL_DESCRIPTION
  ?? path.resolve(__dirname, '../../../protocol/target/protocol-description.json');
const SOURCE = path.resolve(__dirname, '../../src/protocol.ts');

interface JavaMethod { method: string; kind: string; direction: string; params: string | null; result?: string | null }
interface JavaType { kind: 'record' | 'enum'; fields?: { name: string; type: string; primitive: boolean }[]; values?: string[] }
interface Description { protocolVersion: number; methods: JavaMethod[]; types: Record<string, JavaType>; errorCodes: Record<string, number> }

interface TsMethod { method: string; kind: string; direction: string; params: string | null; result?: string | null }

function readTs() {
  const sf = ts.createSourceFile(SOURCE, fs.readFileSync(SOURCE, 'utf8'), ts.ScriptTarget.ES2022, true);
  const interfaces = new Map<string, { name: string; optional: boolean }[]>();
  const aliases = new Map<string, ts.TypeNode>();
  const methods: TsMethod[] = [];
  const directions: Record<string, string> = { ClientRequests: 'clientToServer', ClientNotifications: 'clientToServer', ServerNotifications: 'serverToClient' };
  const typeName = (t: ts.TypeNode | undefined): string | null => {
    if (!t) return null;
    const text = t.getText(sf);
    return text === 'null' || text === 'void' ? null : text;
  };
  sf.forEachChild((node) => {
    if (ts.isInterfaceDeclaration(node)) {
      interfaces.set(node.name.text, node.members.filter(ts.isPropertySignature).map((m) => ({ name: (m.name as ts.Identifier).text, optional: !!m.questionToken })));
    } else if (ts.isTypeAliasDeclaration(node)) {
      aliases.set(node.name.text, node.type);
    } else if (ts.isVariableStatement(node)) {
      for (const decl of node.declarationList.declarations) {
        const group = (decl.name as ts.Identifier).text;
        if (!(group in directions) || !decl.initializer) continue;
        let init: ts.Expression = decl.initializer;
        if (ts.isAsExpression(init)) init = init.expression;
        for (const prop of (init as ts.ObjectLiteralExpression).properties) {
          const call = (prop as ts.PropertyAssignment).initializer as ts.NewExpression;
          const ctor = call.expression.getText(sf);
          const args = call.typeArguments ?? ts.factory.createNodeArray<ts.TypeNode>();
          const method = (call.arguments![0] as ts.StringLiteral).text;
          const request = ctor.startsWith('RequestType');
          const hasParams = !ctor.endsWith('0');
          methods.push({
            method, kind: request ? 'request' : 'notification', direction: directions[group],
            params: hasParams ? typeName(args[0]) : null,
            ...(request ? { result: typeName(args[hasParams ? 1 : 0]) } : {}),
          });
        }
      }
    }
  });
  return { interfaces, aliases, methods, sf };
}

describe('src/protocol.ts mirrors the Java protocol module', () => {
  if (!fs.existsSync(DESCRIPTION)) {
    it('has the Java protocol description', () => {
      throw new Error(`${DESCRIPTION} is missing: run "mvn -B -q -o -pl protocol test" in the repository root first`);
    });
    return;
  }
  const java: Description = JSON.parse(fs.readFileSync(DESCRIPTION, 'utf8'));
  const mine = readTs();

  it('has the same protocol version and error codes', () => {
    expect(PROTOCOL_VERSION).toBe(java.protocolVersion);
    expect(ErrorCodes).toEqual(java.errorCodes);
  });

  it('declares every method with the same name, kind, direction, params and result', () => {
    const byName = (a: TsMethod[]) => [...a].sort((x, y) => x.method.localeCompare(y.method));
    const normalized = java.methods.map((m) => ({ method: m.method, kind: m.kind, direction: m.direction, params: m.params, ...(m.kind === 'request' ? { result: m.result ?? null } : {}) }));
    // InitializedParams / ProvidersListParams are empty records: the TS side declares them as aliases.
    expect(byName(mine.methods)).toEqual(byName(normalized));
  });

  it('declares every record with exactly its fields, Java primitives required', () => {
    const problems: string[] = [];
    for (const [name, t] of Object.entries(java.types)) {
      if (t.kind !== 'record') continue;
      const fields = t.fields ?? [];
      const iface = mine.interfaces.get(name);
      if (!iface) {
        const alias = mine.aliases.get(name);
        if (!(alias && fields.length === 0)) problems.push(`missing interface ${name}`);
        continue;
      }
      const tsNames = iface.map((f) => f.name).sort();
      const javaNames = fields.map((f) => f.name).sort();
      if (JSON.stringify(tsNames) !== JSON.stringify(javaNames)) {
        problems.push(`${name}: TS fields ${tsNames.join(',')} != Java fields ${javaNames.join(',')}`);
      }
      for (const f of fields) {
        const tsField = iface.find((x) => x.name === f.name);
        if (tsField && f.primitive && tsField.optional) problems.push(`${name}.${f.name} is a Java primitive but optional in TS`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('declares every enum as a union of exactly its wire values', () => {
    const problems: string[] = [];
    for (const [name, t] of Object.entries(java.types)) {
      if (t.kind !== 'enum') continue;
      const alias = mine.aliases.get(name);
      if (!alias || !ts.isUnionTypeNode(alias)) { problems.push(`missing union type ${name}`); continue; }
      const values = alias.types.map((x) => ((x as ts.LiteralTypeNode).literal as ts.StringLiteral).text).sort();
      if (JSON.stringify(values) !== JSON.stringify([...t.values!].sort())) problems.push(`${name}: ${values} != ${t.values}`);
    }
    expect(problems).toEqual([]);
  });
});
