import { Component, type ReactNode } from 'react';

/**
 * Ink's own error screen prints a stack trace. An internal error instead ends the app with one
 * sentence (printed by cli.tsx after the terminal is restored).
 */
export class ErrorBoundary extends Component<
  { onError: (error: Error) => void; children: ReactNode },
  { failed: boolean }
> {
  override state = { failed: false };

  static getDerivedStateFromError(): { failed: boolean } {
    return { failed: true };
  }

  override componentDidCatch(error: Error): void {
    this.props.onError(error);
  }

  override render(): ReactNode {
    return this.state.failed ? null : this.props.children;
  }
}
