// A photo-like 4000×3000 JPEG (12 megapixels: gradients and shapes, not
// noise, so it compresses like a real photo), drawn in the page; `seed`
// makes a different one (another content hash).

/** The JPEG's bytes. */
export async function twelveMegapixelPhoto(page, seed = 7) {
  const base64 = await page.evaluate(async (seed) => {
    const canvas = new OffscreenCanvas(4000, 3000);
    const context = canvas.getContext("2d");
    const sky = context.createLinearGradient(0, 0, 0, 3000);
    sky.addColorStop(0, "#8ec5ff");
    sky.addColorStop(1, "#f6e7c1");
    context.fillStyle = sky;
    context.fillRect(0, 0, 4000, 3000);
    let state = seed;
    const random = () => ((state = (state * 16807) % 2147483647) / 2147483647);
    for (let n = 0; n < 3000; n++) {
      context.fillStyle = `hsl(${random() * 360} 60% ${30 + random() * 40}%)`;
      context.beginPath();
      context.arc(random() * 4000, random() * 3000, 5 + random() * 120, 0, Math.PI * 2);
      context.fill();
    }
    const blob = await canvas.convertToBlob({ type: "image/jpeg", quality: 0.92 });
    return await new Promise((resolve) => {
      const reader = new FileReader();
      reader.onload = () => resolve(String(reader.result).split(",")[1]);
      reader.readAsDataURL(blob);
    });
  }, seed);
  return Buffer.from(base64, "base64");
}
