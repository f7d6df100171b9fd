// What the app keeps on the device, read from the page as the app stores it
// (app/src/device_store.rs): one IndexedDB database per account,
// `chengnuo.account.<person>`, and `chengnuo.device` naming the open one.

/** Every record of the open account (or of `person`): { meta, commitments, outbox, typing, ledgers, files }. */
export async function deviceRecords(page, person = null) {
  return page.evaluate(async (person) => {
    const request = (r) => new Promise((resolve, reject) => {
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error);
    });
    const open = (name) => request(indexedDB.open(name, 1));
    if (!person) {
      const device = await open("chengnuo.device");
      person = await request(device.transaction("chengnuo.device").objectStore("chengnuo.device").get("current"));
      device.close();
    }
    if (!person) return null;
    const db = await open(`chengnuo.account.${person}`);
    const out = { person };
    for (const name of ["meta", "commitments", "outbox", "typing", "ledgers", "files"]) {
      const store = db.transaction(name).objectStore(name);
      const keys = await request(store.getAllKeys());
      const values = await request(store.getAll());
      out[name] = keys.map((key, n) => [key, name === "files" ? values[n].length : values[n]]);
    }
    db.close();
    return out;
  }, person);
}

/** The open account's meta record `key`, parsed (e.g. "cycle"). */
export async function deviceMeta(page, key) {
  const records = await deviceRecords(page);
  const found = records?.meta.find(([k]) => k === key);
  return found ? JSON.parse(found[1]) : undefined;
}

/** How many evidence files the open account (or `person`) keeps on the device. */
export async function filesOnDevice(page, person = null) {
  const records = await deviceRecords(page, person);
  return records ? records.files.length : 0;
}
