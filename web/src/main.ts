import { mount } from 'svelte';
import './app.css';
import App from './App.svelte';
import { captureInviteToken } from './lib/invite-token.ts';
import { router } from './lib/router.svelte.ts';

captureInviteToken();
router.start();

mount(App, { target: document.getElementById('app')! });
