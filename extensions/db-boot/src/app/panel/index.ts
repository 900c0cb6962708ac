import { definePanel } from '@directus/extensions-sdk';
import BootStatusPanel from './boot-status-panel.vue';

export default definePanel({
  id: 'db-boot-status',
  name: 'Database boot status',
  icon: 'database',
  description: 'Migrations, schema drift from the snapshot, and the last boot',
  component: BootStatusPanel,
  options: [],
  // Grid units: wide enough for the migrations table, tall enough for the last boot's steps.
  minWidth: 32,
  minHeight: 34,
});
