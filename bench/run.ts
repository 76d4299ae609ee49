/** `npm run bench`: runs every benchmark and prints its figures. */
console.log('No benchmarks yet.');
