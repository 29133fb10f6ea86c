// Runs a request when its inputs change and exposes loading, data and error to a screen.
import { useEffect, useState } from "react";

export interface RequestState<T> {
  loading: boolean;
  data?: T;
  error?: unknown;
}

export function useRequest<T>(run: () => Promise<T>, inputs: unknown[]): RequestState<T> {
  const [state, setState] = useState<RequestState<T>>({ loading: true });
  useEffect(() => {
    let current = true;
    setState({ loading: true });
    run().then(
      (data) => current && setState({ loading: false, data }),
      (error) => current && setState({ loading: false, error }),
    );
    return () => {
      current = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, inputs);
  return state;
}
