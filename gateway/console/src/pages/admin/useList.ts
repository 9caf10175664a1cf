import { useCallback, useEffect, useState } from "react";
import { adminApi, ApiError } from "../../lib/api";

/** A list from the admin API, reloaded on demand; failures as text for an Alert. */
export function useList<T>(path: string, query?: Record<string, string | undefined>) {
  const [rows, setRows] = useState<T[] | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const key = JSON.stringify(query ?? {});
  const reload = useCallback(() => {
    adminApi.get<T[]>(path, JSON.parse(key) as Record<string, string>).then(
      (answer) => {
        setRows(answer);
        setFailure(null);
      },
      (error: unknown) => setFailure(describe(error)),
    );
  }, [path, key]);
  useEffect(reload, [reload]);
  return { rows, failure, setFailure, reload };
}

export const describe = (error: unknown) =>
  error instanceof ApiError ? `${error.code}: ${error.message}` : String(error);
