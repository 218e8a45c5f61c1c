/**
 * Resources of the fake Clerk (./fake-clerk.ts) shaped as Clerk's Frontend API returns them and as
 * clerk-js 6.40 reads them: the instance's settings (`GET /v1/environment`: a production instance with
 * email + password sign-in and sign-up, no social connections, organizations, captcha or billing) and a
 * user (one verified email address, password enabled).
 */
type Json = Record<string, unknown>;

export interface ClerkUser {
  id: string;
  email: string;
  password: string;
  firstName: string | null;
  createdAt: number;
}

/** The user's avatar. Clerk's `image_url` is an address on its image service (img.clerk.com, a default
 * avatar until the user uploads one); the fake cannot serve that host, so it hands a data: URI instead. */
export const AVATAR_URL =
  'data:image/svg+xml;base64,' +
  Buffer.from(
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><circle cx="16" cy="16" r="16" fill="#6c47ff"/></svg>',
  ).toString('base64');

export function userJson(u: ClerkUser): Json {
  const emailId = `idn_${u.id.slice(5)}`;
  return {
    object: 'user',
    id: u.id,
    first_name: u.firstName,
    last_name: null,
    username: null,
    image_url: AVATAR_URL,
    has_image: false,
    primary_email_address_id: emailId,
    primary_phone_number_id: null,
    primary_web3_wallet_id: null,
    email_addresses: [
      {
        object: 'email_address',
        id: emailId,
        email_address: u.email,
        reserved: false,
        verification: { status: 'verified', strategy: 'email_code', attempts: 1, expire_at: null },
        linked_to: [],
      },
    ],
    phone_numbers: [],
    web3_wallets: [],
    external_accounts: [],
    passkeys: [],
    enterprise_accounts: [],
    saml_accounts: [],
    organization_memberships: [],
    password_enabled: true,
    totp_enabled: false,
    backup_code_enabled: false,
    two_factor_enabled: false,
    public_metadata: {},
    unsafe_metadata: {},
    external_id: null,
    last_sign_in_at: Date.now(),
    created_at: u.createdAt,
    updated_at: Date.now(),
    delete_self_enabled: false,
    create_organization_enabled: false,
  };
}

/** The instance's settings as `GET /v1/environment` returns them: email + password sign-in and sign-up. */
export function environment(url: string): Json {
  return {
    id: 'env_fake',
    object: 'environment',
    auth_config: {
      object: 'auth_config',
      id: 'aac_fake',
      single_session_mode: true,
      claimed_at: null,
      reverification: false,
    },
    display_config: displayConfig(url),
    organization_settings: {
      enabled: false,
      max_allowed_memberships: 5,
      force_organization_selection: false,
      actions: { admin_delete: false },
      domains: { enabled: false, enrollment_modes: [], default_role: null },
      slug: { disabled: true },
    },
    user_settings: userSettings(),
    commerce_settings: {
      object: 'commerce_settings',
      id: 'commerce_settings_fake',
      billing: {
        user: { enabled: false, has_paid_plans: false },
        organization: { enabled: false, has_paid_plans: false },
        stripe_publishable_key: '',
      },
    },
    maintenance_mode: false,
    client_debug_mode: false,
  };
}

function displayConfig(url: string): Json {
  return {
    object: 'display_config',
    id: 'display_config_fake',
    instance_environment_type: 'production',
    application_name: 'Portal (fake Clerk)',
    theme: {},
    preferred_sign_in_strategy: 'password',
    logo_image_url: '',
    favicon_image_url: '',
    home_url: url,
    sign_in_url: `${url}/sign-in`,
    sign_up_url: `${url}/sign-up`,
    user_profile_url: `${url}/user`,
    after_sign_in_url: url,
    after_sign_up_url: url,
    after_sign_out_one_url: url,
    after_sign_out_all_url: url,
    after_switch_session_url: url,
    organization_profile_url: `${url}/organization`,
    create_organization_url: `${url}/create-organization`,
    after_leave_organization_url: url,
    after_create_organization_url: url,
    support_email: '',
    branded: false,
    captcha_public_key: null,
    captcha_widget_type: null,
    captcha_provider: null,
    captcha_public_key_invisible: null,
    captcha_oauth_bypass: [],
    clerk_js_version: '6',
  };
}

/** Email address and password on (the first for sign-in), every other attribute off. */
function userSettings(): Json {
  const off = {
    enabled: false,
    required: false,
    used_for_first_factor: false,
    first_factors: [] as string[],
    used_for_second_factor: false,
    second_factors: [],
    verifications: [] as string[],
    verify_at_sign_up: false,
  };
  const attributes = Object.fromEntries(
    [
      'email_address',
      'phone_number',
      'username',
      'web3_wallet',
      'first_name',
      'last_name',
      'password',
      'authenticator_app',
      'backup_code',
      'passkey',
    ].map((a) => [a, off]),
  );
  attributes.email_address = {
    ...off,
    enabled: true,
    required: true,
    used_for_first_factor: true,
    first_factors: ['email_code'],
    verifications: ['email_code'],
  };
  attributes.password = { ...off, enabled: true, required: true };
  return {
    attributes,
    actions: { delete_self: false, create_organization: false },
    social: {},
    saml: { enabled: false },
    enterprise_sso: { enabled: false },
    sign_in: { second_factor: { required: false } },
    sign_up: {
      custom_action_required: false,
      progressive: true,
      captcha_enabled: false,
      disable_hibp: true,
      mode: 'public',
    },
    restrictions: { allowlist: { enabled: false }, blocklist: { enabled: false } },
    password_settings: {
      allowed_special_characters: '',
      max_length: 72,
      min_length: 8,
      require_special_char: false,
      require_numbers: false,
      require_lowercase: false,
      require_uppercase: false,
      disable_hibp: true,
      show_zxcvbn: false,
      min_zxcvbn_strength: 0,
    },
    passkey_settings: { allow_autofill: false, show_sign_in_button: false },
  };
}
