// Entry point: loads the global styles and mounts the application shell.
import { mount } from 'svelte';
import './app.css';
import App from './App.svelte';

// The bundle is parsed and its modules have run (the startup benchmark,
// tests/e2e/installed/startup.mjs, reads this mark and the shell's).
performance.mark('cceaa:script');

const target = document.getElementById('app');
if (!target) throw new Error('#app element missing from index.html');

export default mount(App, { target });
