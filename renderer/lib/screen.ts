// What every screen receives from the app frame.
import type { AppContract } from '../../shared/contract';

export interface ScreenProps {
  client: AppContract;
  /** True while the screen is the one shown; screens refresh their data when it turns true. */
  active: boolean;
}
