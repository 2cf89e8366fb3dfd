function Stop-VmmCommand {
    <#
    .SYNOPSIS
        Stops the calling cmdlet with a terminating error: builds the ErrorRecord from a message, a short error
        id, a category, the target and an optional inner exception, and throws it through the caller's
        $PSCmdlet.ThrowTerminatingError, so the error names the cmdlet the user ran. With -NonTerminating it
        writes the same record through the caller's $PSCmdlet.WriteError instead, and the caller goes on.
    .DESCRIPTION
        The one place where the module's error convention lives: every error id the user sees is
        'VmmBackup.' + the short id given here (FullyQualifiedErrorId 'VmmBackup.<Id>,<Cmdlet>'). The ids a
        public cmdlet throws are listed in its model (src/model/cmdlets, `errors`), which its help and the
        TypeScript bindings show; a Pester check parses every cmdlet and fails on an id the model does not list,
        so the -ErrorId and -Category given here are always constants.
    .PARAMETER Cmdlet
        The $PSCmdlet of the advanced function that stops.
    .PARAMETER Message
        What went wrong and what to do, for the user.
    .PARAMETER ErrorId
        The short error id, without the 'VmmBackup.' prefix (for example RootPath); dotted ids (Remote.<id>)
        are allowed for errors relayed from elsewhere.
    .PARAMETER Category
        The ErrorCategory of the error.
    .PARAMETER Target
        The object the error is about (a path, a name); may be $null.
    .PARAMETER InnerException
        The exception that caused the error, kept as the InnerException.
    .PARAMETER ExceptionType
        The type of the exception the record carries; System.InvalidOperationException unless given.
    .PARAMETER NonTerminating
        Write the error (the caller's -ErrorAction applies) instead of stopping.
    .EXAMPLE
        Stop-VmmCommand -Cmdlet $PSCmdlet -Message "The path '$Path' is a folder." -ErrorId BadPath -Category InvalidArgument -Target $Path
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true)]
        [System.Management.Automation.PSCmdlet] $Cmdlet,

        [Parameter(Mandatory = $true)]
        [string] $Message,

        [Parameter(Mandatory = $true)]
        [ValidatePattern('^(?!VmmBackup\.)[A-Za-z]\S*$')]
        [string] $ErrorId,

        [Parameter(Mandatory = $true)]
        [System.Management.Automation.ErrorCategory] $Category,

        [object] $Target,

        [System.Exception] $InnerException,

        [type] $ExceptionType = [System.InvalidOperationException],

        [switch] $NonTerminating
    )

    $arguments = @($Message)
    if ($null -ne $InnerException) { $arguments += $InnerException }
    $exception = New-Object -TypeName $ExceptionType.FullName -ArgumentList $arguments
    $record = New-Object -TypeName System.Management.Automation.ErrorRecord -ArgumentList $exception, ('VmmBackup.' + $ErrorId), $Category, $Target
    if ($NonTerminating) {
        $Cmdlet.WriteError($record)
        return
    }
    $Cmdlet.ThrowTerminatingError($record)
}
