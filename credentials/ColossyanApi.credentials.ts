import type {
	IAuthenticateGeneric,
	ICredentialTestRequest,
	ICredentialType,
	Icon,
	INodeProperties,
} from 'n8n-workflow';

export class ColossyanApi implements ICredentialType {
	name = 'colossyanApi';

	displayName = 'Colossyan API';

	icon: Icon = {
		light: 'file:../nodes/Colossyan/colossyan.svg',
		dark: 'file:../nodes/Colossyan/colossyan.dark.svg',
	};

	documentationUrl = 'https://github.com/n8n-nodes-rotateproduct-colossyan/n8n-nodes-rotateproduct-colossyan#credentials';

	properties: INodeProperties[] = [
		{
			displayName: 'API Token',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'Create one in Colossyan under Workspace settings → API. A token belongs to one workspace: videos appear there.',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://app.colossyan.com/api/v1',
			description:
				'Leave as it is unless your requests go through a proxy. If the test says ENOTFOUND, n8n cannot find this host name: check its spelling and that n8n\'s machine can reach app.colossyan.com. ECONNREFUSED: nothing answers at that address.',
		},
		{
			// Shown as soon as the address carries a login: axios would send it instead of the API token.
			displayName:
				'Remove the user name and password from the Base URL. The API token is the only login Colossyan needs, and a "user:password@" in the address would be sent instead of it.',
			name: 'baseUrlLoginNotice',
			type: 'notice',
			default: '',
			displayOptions: { show: { baseUrl: [{ _cnd: { regex: '^[^:/?#]+://[^/?#]*@' } }] } },
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				Authorization: '=Bearer {{$credentials.apiKey}}',
			},
		},
	};

	// Listing avatars is free and needs a valid token.
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}',
			url: '/assets/actors',
			method: 'GET',
			// n8n's helper would carry the key along any redirect, to any origin: a
			// Base URL that redirects fails the test instead.
			disableFollowRedirect: true,
		},
		rules: [
			{
				type: 'responseCode',
				properties: {
					value: 401,
					message:
						'Colossyan rejected the API token. Create a new one in the workspace\'s API settings, and check that the Base URL has no "user:password@" in it.',
				},
			},
		],
	};
}
