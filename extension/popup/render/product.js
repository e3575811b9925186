/** The product the briefing is about: its name, brand and codes. */

/** The product header's texts: {name, meta}. */
export function renderProduct(product, { t }) {
  if (!product) return { name: t('noProduct'), meta: '' };
  const codes = [product.brand, product.gtin && `GTIN ${product.gtin}`, product.mpn && `MPN ${product.mpn}`].filter(Boolean);
  return { name: String(product.name || t('noProduct')), meta: codes.join(' · ') };
}
