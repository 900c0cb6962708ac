import { useApi } from '@directus/extensions-sdk';
import { ref } from 'vue';
import type { BootStatusJson } from '../../api/status/status-json';

interface FailedRequest {
  message?: string;
  response?: { status?: number; data?: { errors?: { message?: string }[] } };
}

/**
 * Loads GET /db-boot/status through the app's own API client, which carries the signed-in
 * user's session. Keeps the last good status on screen while a refresh is under way.
 */
export function useBootStatus() {
  const api = useApi();
  const status = ref<BootStatusJson | null>(null);
  const loading = ref(false);
  const error = ref<string | null>(null);
  const loadedAt = ref<Date | null>(null);

  async function refresh(): Promise<void> {
    loading.value = true;
    error.value = null;
    try {
      status.value = (await api.get<BootStatusJson>('/db-boot/status')).data;
      loadedAt.value = new Date();
    } catch (failure) {
      error.value = describeFailure(failure as FailedRequest);
    } finally {
      loading.value = false;
    }
  }

  return { status, loading, error, loadedAt, refresh };
}

function describeFailure(failure: FailedRequest): string {
  const code = failure.response?.status;
  if (code === 403) return 'Only administrators can see the boot status.';
  if (code === 404) return 'The db-boot endpoint is not loaded on this server.';

  const reason = failure.response?.data?.errors?.[0]?.message ?? failure.message ?? String(failure);
  return code === undefined
    ? `Cannot reach the server (${reason}).`
    : `The server answered ${code}: ${reason}`;
}
