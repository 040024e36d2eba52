/** Inserts documents and their sections directly, for tests that need indexed content without running ingest. */
import { createHash } from 'node:crypto';
import type { Database } from '../../server/db/open';
import { chunks, documents } from '../../server/db/schema';
import type { EmbeddingProvider } from '../../server/embed/provider';

export interface SeedDocument {
  source?: string;
  path: string;
  title: string;
  frontmatter?: Record<string, unknown>;
  sections: { heading?: string; anchor?: string; text: string }[];
}

const hash = (s: string) => createHash('sha256').update(s).digest('hex');

export async function seedDocuments(db: Database, embedder: EmbeddingProvider, docs: SeedDocument[]) {
  for (const doc of docs) {
    const [row] = await db
      .insert(documents)
      .values({
        source: doc.source ?? 'docs',
        path: doc.path,
        title: doc.title,
        url: `/${doc.path.replace(/\.mdx?$/, '')}/`,
        contentHash: hash(JSON.stringify(doc)),
        ...(doc.frontmatter ? { frontmatter: doc.frontmatter } : {}),
      })
      .returning();
    const texts = doc.sections.map((s) => `${doc.title} ${s.heading ?? ''}\n${s.text}`);
    const vectors = await embedder.embedDocuments(texts);
    await db.insert(chunks).values(
      doc.sections.map((s, i) => {
        const headings = s.heading ? [doc.title, s.heading] : [doc.title];
        return {
          documentId: row!.id,
          ordinal: i,
          headings,
          heading: headings.join(' > '),
          anchor: s.anchor ?? (s.heading ? s.heading.toLowerCase().replace(/[^a-z0-9]+/g, '-') : ''),
          text: s.text,
          tokenCount: s.text.split(/\s+/).length,
          contentHash: hash(s.text),
          embedding: vectors[i]!,
          embeddingModel: embedder.modelId,
        };
      }),
    );
  }
}
