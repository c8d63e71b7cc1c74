export declare const isRoot: boolean;
export declare function hasCapability(name: 'mknod' | 'sysAdmin'): boolean;
export declare function straceUnavailableReason(): string | undefined;
export declare function loopDevicesUnavailableReason(): string | undefined;
